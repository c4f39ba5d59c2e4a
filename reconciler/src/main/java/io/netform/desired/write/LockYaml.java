package io.netform.desired.write;

import io.netform.desired.OverlayLock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** Writes the lock file: one line per value, so that a commit's diff shows exactly which endpoints came and went. */
public final class LockYaml {

  private static final String HEADER = """
      # The overlay allocation every host uses: subnets, VXLAN ids, addresses and MACs. Written by
      # `netform lock` from the desired state next to it; commit it, never edit it (see docs/overlay.md).
      """;

  private LockYaml() {}

  public static String write(OverlayLock lock) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", 1);
    Map<String, Object> networks = new LinkedHashMap<>();
    lock.networks().forEach((name, n) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("subnet", n.subnet().toString());
      m.put("gateway", n.gateway().toString());
      m.put("vni", n.vni());
      Map<String, Object> endpoints = new LinkedHashMap<>();
      n.endpoints().forEach((container, e) -> {
        Map<String, Object> ep = new LinkedHashMap<>();
        ep.put("ipv4", e.ipv4().toString());
        ep.put("mac", e.mac().toString());
        endpoints.put(container, ep);
      });
      m.put("endpoints", endpoints);
      networks.put(name, m);
    });
    root.put("networks", networks);
    DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2).build();
    return HEADER + new Dump(settings).dumpToString(root);
  }
}
