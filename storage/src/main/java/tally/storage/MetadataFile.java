package tally.storage;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import tally.model.MetricMetadata;

/**
 * Metric metadata (type, help, unit by metric family), kept in memory and saved as a small
 * tab-separated file. It is advisory (Grafana's hints), so saving on flush and on close is enough.
 */
final class MetadataFile {
    private final Path file;
    private final Map<String, List<MetricMetadata>> byMetric = new ConcurrentHashMap<>();
    private volatile boolean dirty;

    private MetadataFile(Path file) {
        this.file = file;
    }

    static MetadataFile load(Path file) throws IOException {
        MetadataFile m = new MetadataFile(file);
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                if (f.length != 4) continue;
                m.put(unescape(f[0]), new MetricMetadata(unescape(f[1]), unescape(f[2]), unescape(f[3])));
            }
            m.dirty = false;
        }
        return m;
    }

    void put(String metric, MetricMetadata md) {
        List<MetricMetadata> list = byMetric.computeIfAbsent(metric, k -> new ArrayList<>());
        synchronized (list) {
            if (list.contains(md)) return;
            list.add(md);
            if (list.size() > 10) list.remove(0); // keep the latest few distinct values
        }
        dirty = true;
    }

    Map<String, List<MetricMetadata>> snapshot() {
        Map<String, List<MetricMetadata>> out = new TreeMap<>();
        byMetric.forEach((k, v) -> {
            synchronized (v) {
                out.put(k, List.copyOf(v));
            }
        });
        return out;
    }

    synchronized void save() throws IOException {
        if (!dirty) return;
        dirty = false;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, List<MetricMetadata>> e : snapshot().entrySet()) {
                for (MetricMetadata md : e.getValue()) {
                    w.write(escape(e.getKey()) + "\t" + escape(md.type()) + "\t" + escape(md.help()) + "\t" + escape(md.unit()));
                    w.newLine();
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String escape(String s) {
        if (s == null) return "";
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
