package tally.server.setup;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Reads and writes Claude Code's {@code settings.json}. Gson's tree keeps key order and every key it
 * does not know, so a rewrite changes only what the caller changed.
 */
final class SettingsFile {
    private static final Gson PRINTER = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();
    private static final Gson READER = new Gson();
    private static final DateTimeFormatter BACKUP_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** An existing file that is not a JSON object; the file is left as it is. */
    static final class InvalidSettingsException extends Exception {
        InvalidSettingsException(String message) {
            super(message);
        }
    }

    private SettingsFile() {}

    /** The file's JSON object, an empty object when the file is missing or blank. */
    static JsonObject read(Path file) throws IOException, InvalidSettingsException {
        if (!Files.exists(file)) {
            return new JsonObject();
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), file);
    }

    /** Strict JSON (no comments, no trailing content), because Claude Code itself reads it strictly. */
    static JsonObject parse(String text, Path source) throws InvalidSettingsException {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        if (body.isBlank()) {
            return new JsonObject();
        }
        try (JsonReader reader = new JsonReader(new StringReader(body))) {
            reader.setLenient(false);
            JsonElement root = READER.getAdapter(JsonElement.class).read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new InvalidSettingsException(source + ": unexpected content after the JSON object");
            }
            if (!root.isJsonObject()) {
                throw new InvalidSettingsException(source + ": expected a JSON object at the top level");
            }
            return root.getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new InvalidSettingsException(source + ": not valid JSON (" + e.getMessage() + ")");
        }
    }

    /** Two-space indented JSON with a trailing newline, the way Claude Code writes it. */
    static String format(JsonObject root) {
        return PRINTER.toJson(root) + "\n";
    }

    /**
     * Copies {@code file} to {@code settings.json.bak-<stamp>} next to it (a numeric suffix avoids
     * overwriting an earlier backup from the same second). Returns the backup path.
     */
    static Path backup(Path file, LocalDateTime now) throws IOException {
        String base = file.getFileName() + ".bak-" + BACKUP_STAMP.format(now);
        for (int n = 0; ; n++) {
            Path target = file.resolveSibling(n == 0 ? base : base + "-" + n);
            try {
                Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                return target;
            } catch (FileAlreadyExistsException e) {
                // try the next suffix
            }
        }
    }

    /** Replaces the file's contents atomically (temp file + rename), keeping its POSIX permissions. */
    static void write(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".settings-", ".json.tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            copyPermissions(file, tmp);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributeView target = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (target == null) {
            return;
        }
        if (source != null && Files.exists(from)) {
            target.setPermissions(source.readAttributes().permissions());
        } else {
            // createTempFile makes 0600; a new settings file gets the usual 0644
            target.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }
}
