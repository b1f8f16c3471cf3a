"""The workflow each review goes through: events and the cool-down, derived state, stats, review requests."""
