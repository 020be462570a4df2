package tally.promql.engine;

import tally.model.Labels;

/** One element of an instant vector. */
public record Sample(Labels labels, long t, double v) {}
