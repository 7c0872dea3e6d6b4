"""Forms of finance, one module per area: ``batches`` (queue, batch, results),
``budget`` (plan filter, plan line, override) and ``settlements`` (register filter)."""
