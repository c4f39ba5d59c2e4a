package io.netform.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A container's network namespace. Without {@code path} it is the named namespace
 * {@code /run/netns/<name>} that netform creates and deletes, with its loopback up (a container
 * whose {@code lo} is down cannot reach itself: part of what netform keeps); with a path it is
 * an existing namespace that netform wires but never deletes, whose loopback is its owner's.
 */
public record NamespaceObject(String name, Optional<String> path, boolean loopbackUp, Owner owner)
    implements KernelObject {

  /** A namespace as netform wants it: loopback up. */
  public NamespaceObject(String name, Optional<String> path, Owner owner) {
    this(name, path, true, owner);
  }

  /**
   * Marks the path of a namespace that netform's inventory records but that no longer exists (a
   * run died after unmounting it and before writing the inventory): observed that way, it differs
   * from every desired namespace, so a plan forgets it or makes it again.
   */
  public static final String GONE = "(gone) ";

  /** An inventory record without a namespace behind it. */
  public static NamespaceObject gone(String name, String recordedPath) {
    return new NamespaceObject(name, Optional.of(GONE + recordedPath), Owner.container(name));
  }

  public boolean isGone() {
    return path.isPresent() && path.get().startsWith(GONE);
  }

  @Override
  public String key() {
    return KernelObject.namespaceKey(name);
  }

  @Override
  public String kindLabel() {
    return "namespace";
  }

  @Override
  public String displayName() {
    if (isGone()) {
      return name + " (a record of a namespace that is gone: only the record changes)";
    }
    // An adopted namespace is someone else's: the plan says that netform only adds and removes its own interfaces there.
    return path.isPresent() ? name + " (adopted: netform never deletes it, nor changes what it did not make in it)" : name;
  }

  @Override
  public Map<String, String> attributes() {
    Map<String, String> a = new LinkedHashMap<>();
    // a named namespace's file is NAME in the namespace directory, which a plan made offline does not know
    a.put("path", path.orElse(name + " in the namespace directory"));
    if (path.isEmpty()) {
      a.put("loopback", loopbackUp ? "up" : "down");
    }
    return a;
  }

  /** The alias on the loopback of a namespace netform made names the owner; an adopted one's owner is its record's name. */
  @Override
  public boolean marksOwner() {
    return path.isEmpty();
  }

  @Override
  public Set<String> replaceAttributes() {
    return Set.of("path");
  }

  @Override
  public int rank() {
    return 0;
  }
}
