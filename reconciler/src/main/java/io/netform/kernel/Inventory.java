package io.netform.kernel;

import io.netform.plan.Json;
import io.netform.snapshot.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.List;
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
  /** The file as last parsed, and what it held. */
  private BasicFileAttributes lastRead;
  private Map<String, String> lastParsed;

  public Inventory(Path stateDir) {
    this.file = stateDir.resolve("inventory.json");
  }

  public Path file() {
    return file;
  }

  public synchronized Map<String, String> namespaces() {
    BasicFileAttributes seen;
    try {
      seen = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return new TreeMap<>(); // no inventory yet
    }
    if (!seen.isRegularFile()) {
      return new TreeMap<>();
    }
    // Every observation asks; the file changes only when namespaces come or go (by this process or
    // another, always by rename, so a new version is a new inode): parsed again only then.
    if (lastRead != null && seen.fileKey() != null && seen.fileKey().equals(lastRead.fileKey())
        && seen.size() == lastRead.size() && seen.lastModifiedTime().equals(lastRead.lastModifiedTime())) {
      return new TreeMap<>(lastParsed);
    }
    try {
      Map<String, String> out = new TreeMap<>();
      JsonNode root = Json.MAPPER.readTree(Files.readString(file));
      root.path("namespaces").properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
      lastRead = seen;
      lastParsed = new TreeMap<>(out);
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
    removeNamespaces(List.of(name));
  }

  /** Forgets several namespaces in one atomic write (after they are deleted). */
  public synchronized void removeNamespaces(Collection<String> names) {
    Map<String, String> all = namespaces();
    if (all.keySet().removeAll(names)) {
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
      lastRead = Files.readAttributes(file, BasicFileAttributes.class); // what was written need not be parsed back
      lastParsed = new TreeMap<>(namespaces);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + file + ": " + e.getMessage(), e);
    }
  }
}
