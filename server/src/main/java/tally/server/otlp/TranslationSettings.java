package tally.server.otlp;

import java.util.Set;

/** The knobs of Prometheus's {@code otlp:} config block that Tally supports. */
public record TranslationSettings(
        Set<String> promoteResourceAttributes,
        boolean promoteAllResourceAttributes,
        Set<String> ignoreResourceAttributes,
        boolean keepIdentifyingResourceAttributes,
        boolean promoteScopeMetadata) {

    public static final TranslationSettings DEFAULTS = new TranslationSettings(Set.of(), false, Set.of(), false, false);

    public boolean promotes(String attribute) {
        return promoteAllResourceAttributes ? !ignoreResourceAttributes.contains(attribute) : promoteResourceAttributes.contains(attribute);
    }
}
