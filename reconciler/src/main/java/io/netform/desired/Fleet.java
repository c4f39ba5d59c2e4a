package io.netform.desired;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The machines a desired state spans ({@code hosts:}, in declaration order) and the lock file read
 * next to it. Without hosts a desired state is one machine's, as before multi-host support.
 */
public record Fleet(Map<String, Host> hosts, Optional<OverlayLock> lock) {

  public static final Fleet NONE = new Fleet(Map.of(), Optional.empty());

  /**
   * The local bridge network each host adds for its overlay containers' way out (Docker's name):
   * their default route, masquerading and published ports go through it.
   */
  public static final String GATEWAY_BRIDGE = "docker_gwbridge";

  public Fleet {
    hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
  }

  public boolean declared() {
    return !hosts.isEmpty();
  }

  /**
   * The host a container runs on: its own {@code host:}; else, for a {@code container:NAME}
   * container, NAME's (followed through further joins); else the only host declared; empty
   * otherwise. {@code containers}: the desired state's, by name.
   */
  public Optional<String> hostOf(Container c, Map<String, Container> containers) {
    Container at = c;
    Set<String> seen = new HashSet<>();
    while (at.host().isEmpty() && at.mode() instanceof NetworkMode.JoinContainer j && seen.add(at.name())
        && containers.containsKey(j.container())) {
      at = containers.get(j.container());
    }
    return at.host().or(() -> hosts.size() == 1 ? Optional.of(hosts.keySet().iterator().next()) : Optional.empty());
  }

  public Fleet withLock(Optional<OverlayLock> read) {
    return new Fleet(hosts, read);
  }
}
