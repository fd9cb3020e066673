"""Mining operations: facilities extract resources, ships and shipments carry them, mass is
conserved (resources, simulation, report)."""
