package tally.server;

import tally.model.Storage;
import tally.server.config.ServerConfig;

/** Opens the storage engine for a configuration (path, retention); the one seam between CLI and storage. */
@FunctionalInterface
public interface StorageFactory {
    Storage open(ServerConfig config) throws Exception;
}
