package tally.server.otlp.delta;

import tally.model.Labels;

/**
 * Identity of a delta stream: the translated series labels (metric name and every attribute,
 * histogram base name for histograms) plus a 64-bit hash of the resource and scope, so two
 * resources that map to the same labels still accumulate separately.
 */
public record StreamKey(long resourceScopeHash, Labels labels) {}
