package tally.promql.engine;

import tally.model.Labels;

/** One series of a matrix: the first {@code count} entries of {@code ts}/{@code vs} (arrays may be longer). */
public record SeriesPoints(Labels labels, long[] ts, double[] vs, int count) {}
