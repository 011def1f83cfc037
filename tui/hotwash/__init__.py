"""The hot wash after play: ratings, lessons, action items, and finishing the exercise."""
