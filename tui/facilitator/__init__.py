"""The facilitator's console: the MSEL, meters, evaluation and the dialogs that change a run."""
