"""Missions: trajectories (one engine), mining operations, targets and their events."""
