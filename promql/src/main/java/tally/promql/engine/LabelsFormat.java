package tally.promql.engine;

import tally.model.LabelNames;
import tally.model.Labels;

/** Prometheus's {@code labels.String()}: every label inside braces, {@code __name__} included, as in error messages. */
final class LabelsFormat {
    private LabelsFormat() {}

    static String braces(Labels l) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) sb.append(", ");
            String name = l.name(i);
            if (LabelNames.isLegacyLabelName(name)) sb.append(name); else LabelNames.quote(sb, name);
            sb.append('=');
            LabelNames.quote(sb, l.value(i));
        }
        return sb.append('}').toString();
    }
}
