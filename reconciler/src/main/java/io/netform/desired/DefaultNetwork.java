package io.netform.desired;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes Docker's implicit membership explicit: a container with its own namespace that names no
 * network joins the network marked {@code default: true} (as {@code docker run} without
 * {@code --network} joins docker0). Later stages then only see explicit attachments.
 */
public final class DefaultNetwork {

  private DefaultNetwork() {}

  public static DesiredState applyTo(DesiredState state) {
    Optional<Network> fallback = state.networks().values().stream().filter(Network::isDefault).findFirst();
    if (fallback.isEmpty()) {
      return state;
    }
    Map<String, Container> containers = new LinkedHashMap<>();
    for (Container c : state.containers().values()) {
      boolean joins = c.mode() instanceof NetworkMode.Own && c.attachments().isEmpty();
      containers.put(c.name(), joins ? c.withAttachments(List.of(Attachment.dynamic(fallback.get().name()))) : c);
    }
    return state.withContainers(containers);
  }
}
