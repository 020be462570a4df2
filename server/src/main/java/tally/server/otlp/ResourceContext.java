package tally.server.otlp;

import tally.model.Labels;
import tally.model.LabelsBuilder;

import java.util.ArrayList;
import java.util.List;

/**
 * What one OTLP resource contributes to its series: {@code job} (service.namespace/service.name),
 * {@code instance} (service.instance.id), promoted attributes, the labels of its {@code target_info}
 * series, and a hash that separates delta streams of different resources. Public for the logs path
 * ({@code tally.server.otlp.logs}), whose derived series get the same {@code job}/{@code instance} rules.
 */
public final class ResourceContext {
    static final String SERVICE_NAME = "service.name";
    static final String SERVICE_NAMESPACE = "service.namespace";
    static final String SERVICE_INSTANCE_ID = "service.instance.id";

    final String job;
    final String instance;
    /** Promoted attributes as [labelName, value] pairs; they never override data point attributes. */
    final List<String[]> promoted = new ArrayList<>();
    /** null when the resource has no attributes besides the identifying ones, or no job/instance. */
    final Labels targetInfo;
    final long hash;

    /** @param resourceAttrs the resource's attributes (not kept: copied) */
    public ResourceContext(AttrList resourceAttrs, TranslationSettings settings, LabelNamer labelNamer) {
        String name = null;
        String namespace = null;
        String inst = null;
        long h = 0xcbf29ce484222325L;
        AttrList attrs = resourceAttrs.copy();
        attrs.sortByKey();
        int nonIdentifying = 0;
        for (int i = 0; i < attrs.size(); i++) {
            String key = attrs.key(i);
            String value = attrs.value(i);
            h = mix(mix(h, key), value);
            switch (key) {
                case SERVICE_NAME -> name = value;
                case SERVICE_NAMESPACE -> namespace = value;
                case SERVICE_INSTANCE_ID -> inst = value;
                default -> nonIdentifying++;
            }
            if (settings.promotes(key)) {
                String label = labelNamer.name(key);
                if (label != null) promoted.add(new String[] {label, value});
            }
        }
        this.job = name == null ? null : namespace == null ? name : namespace + "/" + name;
        this.instance = inst;
        this.hash = h;
        this.targetInfo = nonIdentifying == 0 || (job == null && instance == null)
                ? null : targetInfoLabels(attrs, settings, labelNamer);
    }

    private Labels targetInfoLabels(AttrList sortedAttrs, TranslationSettings settings, LabelNamer labelNamer) {
        LabelsBuilder b = new LabelsBuilder();
        for (int i = 0; i < sortedAttrs.size(); i++) {
            String key = sortedAttrs.key(i);
            boolean identifying = key.equals(SERVICE_NAME) || key.equals(SERVICE_NAMESPACE) || key.equals(SERVICE_INSTANCE_ID);
            if (identifying && !settings.keepIdentifyingResourceAttributes()) continue;
            String label = labelNamer.name(key);
            if (label == null) continue;
            String value = sortedAttrs.value(i);
            String prev = b.get(label);
            b.set(label, prev == null ? value : prev + ";" + value);
        }
        if (job != null) b.set("job", job);
        if (instance != null) b.set("instance", instance);
        b.set(Labels.METRIC_NAME, "target_info");
        return b.build();
    }

    static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= 0xff;
        h *= 0x100000001b3L;
        return h;
    }
}
