"""Agent assist: from a ticket or a live contact to suggested answers, the escalation path and the checklist."""
