package io.netform.desired;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The merged desired state of all input files. Maps keep declaration order (it decides
 * allocation order, as with Docker, where creation order decides addresses).
 */
public record DesiredState(Map<String, Network> networks, Map<String, Container> containers, SourceMap sources) {

  public DesiredState {
    networks = Collections.unmodifiableMap(new LinkedHashMap<>(networks));
    containers = Collections.unmodifiableMap(new LinkedHashMap<>(containers));
  }

  public static DesiredState empty() {
    return new DesiredState(Map.of(), Map.of(), SourceMap.empty());
  }
}
