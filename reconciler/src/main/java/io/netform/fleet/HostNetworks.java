package io.netform.fleet;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DefaultNetwork;
import io.netform.desired.DesiredState;
import io.netform.desired.Network;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which of a fleet's bridge and macvlan networks a host has. Each is one per host, as each Docker
 * daemon has its own local networks: a host has those its own containers attach to, and those no
 * container of the fleet attaches to (declared for every host, as `docker network create` run on
 * each). So two hosts may each have a network of the same subnet, and one host's networks never
 * take a default pool from another's. Overlay networks are the fleet's.
 */
public final class HostNetworks {

  private HostNetworks() {}

  /** The names of the bridge and macvlan networks {@code host} has, in declaration order. */
  public static Set<String> localOn(DesiredState fleet, String host) {
    DesiredState joined = DefaultNetwork.applyTo(fleet); // a container naming no network joins the default one
    Set<String> usedHere = new HashSet<>();
    Set<String> usedAnywhere = new HashSet<>();
    for (Container c : joined.containers().values()) {
      boolean here = fleet.machineOf(c).equals(host);
      for (Attachment a : c.attachments()) {
        usedAnywhere.add(a.network());
        if (here) {
          usedHere.add(a.network());
        }
      }
    }
    Set<String> out = new LinkedHashSet<>();
    for (Network n : fleet.networks().values()) {
      if (!n.isOverlay() && (usedHere.contains(n.name()) || !usedAnywhere.contains(n.name()))) {
        out.add(n.name());
      }
    }
    return out;
  }
}
