"""A role's console: the inbox, the inject being read, and the actions that role may take."""
