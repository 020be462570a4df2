package tally.rules.unittest;

import java.util.List;
import tally.model.Labels;

/** A firing alert as promtool compares and prints it: labels, then annotations (both as label sets). */
record LabelsAndAnnotations(Labels labels, Labels annotations) implements Comparable<LabelsAndAnnotations> {
    @Override
    public int compareTo(LabelsAndAnnotations o) {
        int c = labels.compareTo(o.labels);
        return c != 0 ? c : annotations.compareTo(o.annotations);
    }

    @Override
    public String toString() {
        return "Labels:" + GoText.labels(labels) + "\nAnnotations:" + GoText.labels(annotations);
    }

    /** promtool's list form: "[]" or "[\n0:\n  Labels:...\n  Annotations:...,\n1:..." and "\n]". */
    static String toString(List<LabelsAndAnnotations> list) {
        if (list.isEmpty()) return "[]";
        StringBuilder sb = new StringBuilder("[\n0:").append(RuleUnitTester.indent("\n" + list.get(0), "  "));
        for (int i = 1; i < list.size(); i++) {
            sb.append(",\n").append(i).append(':').append(RuleUnitTester.indent("\n" + list.get(i), "  "));
        }
        return sb.append("\n]").toString();
    }
}
