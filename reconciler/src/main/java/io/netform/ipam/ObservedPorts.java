package io.netform.ipam;

import io.netform.desired.PortMapping;
import io.netform.desired.Protocol;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.Owner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The published ports a host already carries, read back from the DNAT rules each container owns
 * (host port, container port, protocol), so that a host port netform chose is kept: the host is
 * the record of what was chosen, as it is for addresses ({@link ObservedAllocation}). Reads only
 * the options a DNAT rule must have, in whatever order and company the rule is written.
 */
public final class ObservedPorts {

  private ObservedPorts() {}

  /** Published ports by container. */
  public static Map<String, List<PortMapping>> from(HostModel observed) {
    Map<String, List<PortMapping>> out = new HashMap<>();
    for (KernelObject o : observed.objects().values()) {
      if (o instanceof FirewallRule r && r.table() == FirewallTable.NAT && r.owner().kind() == Owner.Kind.CONTAINER) {
        // A port published on both families has a DNAT rule in each: it is one port.
        published(r.spec()).filter(p -> !out.getOrDefault(r.owner().name(), List.of()).contains(p))
            .ifPresent(p -> out.computeIfAbsent(r.owner().name(), k -> new ArrayList<>()).add(p));
      }
    }
    return out;
  }

  static Optional<PortMapping> published(String spec) {
    List<String> words = List.of(spec.split(" "));
    int jump = words.indexOf("-j");
    if (jump < 0 || jump + 1 >= words.size() || !words.get(jump + 1).equals("DNAT")) {
      return Optional.empty();
    }
    Optional<Protocol> protocol = after(words, "-p").flatMap(p -> {
      try {
        return Optional.of(Protocol.valueOf(p.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    });
    Optional<Integer> hostPort = after(words, "--dport").flatMap(ObservedPorts::number);
    Optional<Integer> containerPort = after(words, "--to-destination")
        .flatMap(to -> number(to.substring(to.lastIndexOf(':') + 1)));
    if (protocol.isEmpty() || hostPort.isEmpty() || containerPort.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new PortMapping(Optional.empty(), hostPort.get(), containerPort.get(), protocol.get()));
  }

  private static Optional<String> after(List<String> words, String option) {
    int i = words.indexOf(option);
    return i >= 0 && i + 1 < words.size() ? Optional.of(words.get(i + 1)) : Optional.empty();
  }

  private static Optional<Integer> number(String text) {
    try {
      return Optional.of(Integer.parseInt(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
