package io.netform.kernel;

import io.netform.util.AtomicFiles;
import io.netform.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * netform's record of the namespaces it manages (name → namespace file), written atomically
 * (temp file, fsync, rename) before a namespace is created and after it is deleted. Namespaces
 * given by path (e.g. /proc/PID/ns/net) can only be found through it; named ones are also
 * recognised by the marker on their loopback, so a crash never leaves one unrecognised.
 */
public final class Inventory {

  private final StateDirectory state;
  private final Path file;
  /** The file as last parsed, and what it held. */
  private BasicFileAttributes lastRead;
  private Map<String, String> lastParsed;

  public Inventory(StateDirectory state) {
    this.state = state;
    this.file = state.inventory();
  }

  public Path file() {
    return file;
  }

  public synchronized Map<String, String> namespaces() {
    BasicFileAttributes seen;
    try {
      seen = Files.readAttributes(file, BasicFileAttributes.class, StateDirectory.NO_FOLLOW);
    } catch (NoSuchFileException e) {
      return new TreeMap<>(); // no inventory yet
    } catch (IOException e) {
      throw state.failure("read the inventory", file, e);
    }
    // Every observation asks; the file changes only when namespaces come or go (by this process or
    // another, always by rename, so a new version is a new inode): parsed again only then.
    if (lastRead != null && seen.fileKey() != null && seen.fileKey().equals(lastRead.fileKey())
        && seen.size() == lastRead.size() && seen.lastModifiedTime().equals(lastRead.lastModifiedTime())) {
      return new TreeMap<>(lastParsed);
    }
    byte[] content;
    try {
      content = state.read(file); // a link there fails here
    } catch (IOException e) {
      throw state.failure("read the inventory", file, e);
    }
    Map<String, String> out;
    try {
      out = parse(content);
    } catch (RuntimeException e) {
      throw new StateDirectoryException("the inventory " + file + " is damaged (" + why(e) + "). Move it aside "
          + "(mv " + file + " " + file + ".damaged) and run again: netform recognises the namespaces it created by their "
          + "marker, and containers that adopt a namespace (namespace:) are recorded again at the next apply");
    }
    lastRead = seen;
    lastParsed = new TreeMap<>(out);
    return out;
  }

  /** One line: Jackson's own messages go on with the source on a second one. */
  private static String why(RuntimeException e) {
    if (e instanceof JacksonException j) {
      var at = j.getLocation();
      return "not JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
          + j.getOriginalMessage().lines().findFirst().orElse("");
    }
    return e.getMessage();
  }

  /** What a file netform wrote holds: anything else (a truncated or hand-edited file) is damaged. */
  private static Map<String, String> parse(byte[] content) {
    if (content.length == 0) {
      throw new IllegalArgumentException("it is empty");
    }
    JsonNode root = Json.MAPPER.readTree(content);
    if (root == null || !root.path("namespaces").isObject()) {
      throw new IllegalArgumentException("no \"namespaces\" object");
    }
    Map<String, String> out = new TreeMap<>();
    root.path("namespaces").properties().forEach(e -> {
      if (!e.getValue().isString()) {
        throw new IllegalArgumentException("the entry " + e.getKey() + " is not a path");
      }
      out.put(e.getKey(), e.getValue().asString());
    });
    return out;
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
      lastRead = Files.readAttributes(file, BasicFileAttributes.class, StateDirectory.NO_FOLLOW); // what was written need not be parsed back
      lastParsed = new TreeMap<>(namespaces);
    } catch (IOException e) {
      throw state.writeFailure("the inventory", file, e);
    }
  }
}
