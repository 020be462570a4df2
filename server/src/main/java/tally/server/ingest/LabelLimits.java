package tally.server.ingest;

import tally.model.Labels;

/** Per-series label limits applied by every ingest protocol (0 = unlimited). */
public record LabelLimits(int maxLabels, int maxNameLength, int maxValueLength) {
    public static final LabelLimits NONE = new LabelLimits(0, 0, 0);

    /** Null when the series is within limits, else why not. */
    public String check(Labels labels) {
        if (maxLabels > 0 && labels.size() > maxLabels) {
            return "series has " + labels.size() + " labels, more than the limit of " + maxLabels;
        }
        for (int i = 0; i < labels.size(); i++) {
            if (maxNameLength > 0 && labels.name(i).length() > maxNameLength) {
                return "label name of " + labels.name(i).length() + " characters exceeds the limit of " + maxNameLength;
            }
            if (maxValueLength > 0 && labels.value(i).length() > maxValueLength) {
                return "value of label " + labels.name(i) + " has " + labels.value(i).length()
                        + " characters, more than the limit of " + maxValueLength;
            }
        }
        return null;
    }
}
