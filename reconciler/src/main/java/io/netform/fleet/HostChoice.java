package io.netform.fleet;

import io.netform.desired.DesiredState;
import java.util.Optional;
import java.util.Set;

/**
 * Which of the declared hosts this machine is: {@code --host NAME}, else the machine's hostname
 * (or its first label) matched against {@code hosts:}. A single machine's desired state declares
 * none and needs none.
 */
public final class HostChoice {

  private HostChoice() {}

  /** Why no host could be chosen, in words that name the declared hosts and the fix. */
  public static final class NoSuchHost extends IllegalArgumentException {
    NoSuchHost(String message) {
      super(message);
    }
  }

  /** This machine's share of {@code state}: all of it when no hosts are declared. */
  public static LocalState share(DesiredState state, Optional<String> option, String machineHostname) {
    return of(state, option, machineHostname).map(h -> LocalState.forHost(state, h)).orElseGet(() -> LocalState.of(state));
  }

  /** The host this machine is; empty for a single machine's desired state. */
  public static Optional<String> of(DesiredState state, Optional<String> option, String machineHostname) {
    Set<String> hosts = state.fleet().hosts().keySet();
    if (hosts.isEmpty()) {
      option.ifPresent(h -> {
        throw new NoSuchHost("--host " + h + ": the desired state declares no hosts; --host picks one of the hosts: of "
            + "a multi-host desired state (leave it out here)");
      });
      return Optional.empty();
    }
    String declared = String.join(", ", hosts);
    if (option.isPresent()) {
      if (!hosts.contains(option.get())) {
        throw new NoSuchHost("--host " + option.get() + " is not one of the declared hosts (" + declared + "): give one of them");
      }
      return option;
    }
    String shortName = machineHostname.contains(".") ? machineHostname.substring(0, machineHostname.indexOf('.'))
        : machineHostname;
    for (String candidate : new String[] {machineHostname, shortName}) {
      if (hosts.contains(candidate)) {
        return Optional.of(candidate);
      }
    }
    throw new NoSuchHost("this machine's hostname \"" + machineHostname + "\" is none of the declared hosts (" + declared
        + "): say which one it is with --host NAME");
  }
}
