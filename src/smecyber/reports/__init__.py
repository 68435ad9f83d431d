"""What pages read: the SME dashboard, the coordinator's aggregates, and the HTML/PDF report."""
