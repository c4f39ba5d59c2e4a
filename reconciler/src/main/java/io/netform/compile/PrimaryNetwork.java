package io.netform.compile;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which attachment carries a container's default route (and its published ports): the highest
 * {@code gw_priority}, ties to the first attachment; internal networks never do (they have no way
 * out). When the primary network is removed, the next one takes over, as in Docker (seed 002).
 */
final class PrimaryNetwork {

  private PrimaryNetwork() {}

  static Optional<Endpoint> of(List<Endpoint> endpoints) {
    return endpoints.stream()
        .filter(e -> !e.network().internal())
        .filter(e -> e.ipv4Pool().isPresent())
        .min(Comparator.comparingInt((Endpoint e) -> -e.gwPriority()).thenComparingInt(Endpoint::order));
  }
}
