package io.netform.kernel;

import io.netform.plan.Json;
import io.netform.snapshot.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * netform's record of the namespaces it manages (name → namespace file), written atomically
 * (temp file, fsync, rename) before a namespace is created and after it is deleted. Namespaces
 * given by path (e.g. /proc/PID/ns/net) can only be found through it; named ones are also
 * recognised by the marker on their loopback, so a crash never leaves one unrecognised.
 */
public final class Inventory {

  private final Path file;

  public Inventory(Path stateDir) {
    this.file = stateDir.resolve("inventory.json");
  }

  public Path file() {
    return file;
  }

  public Map<String, String> namespaces() {
    Map<String, String> out = new TreeMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      JsonNode root = Json.MAPPER.readTree(Files.readString(file));
      root.path("namespaces").properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
      return out;
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(file + " is damaged (" + e.getMessage() + "); move it aside: netform rebuilds it from "
          + "the markers on the kernel objects", e);
    }
  }

  public synchronized void putNamespace(String name, Path path) {
    Map<String, String> all = namespaces();
    all.put(name, path.toString());
    write(all);
  }

  /** Records several namespaces in one atomic write (before they are created). */
  public synchronized void putNamespaces(Map<String, Path> entries) {
    if (entries.isEmpty()) {
      return;
    }
    Map<String, String> all = namespaces();
    entries.forEach((n, p) -> all.put(n, p.toString()));
    write(all);
  }

  public synchronized void removeNamespace(String name) {
    Map<String, String> all = namespaces();
    if (all.remove(name) != null) {
      write(all);
    }
  }

  private void write(Map<String, String> namespaces) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("version", 1);
    ObjectNode ns = root.putObject("namespaces");
    namespaces.forEach(ns::put);
    try {
      AtomicFiles.write(file, Json.MAPPER.writeValueAsString(root) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
    }
  }
}
