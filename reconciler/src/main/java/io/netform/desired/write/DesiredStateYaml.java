package io.netform.desired.write;

import io.netform.desired.Attachment;
import io.netform.desired.Container;
import io.netform.desired.DesiredState;
import io.netform.desired.Driver;
import io.netform.desired.Host;
import io.netform.desired.IpamPool;
import io.netform.desired.Network;
import io.netform.desired.NetworkMode;
import io.netform.desired.PortMapping;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Writes a desired state in netform's YAML format, leaving out every value that equals its
 * default, so that what {@code netform show} prints reads like something a person wrote and
 * validates as is.
 */
public final class DesiredStateYaml {

  /** Docker's option for an overlay network's VXLAN id, which netform reads as Docker writes it. */
  private static final String VXLAN_IDS_OPTION = "com.docker.network.driver.overlay.vxlanid_list";

  private DesiredStateYaml() {}

  public static String write(DesiredState state, String headerComment) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", 1);
    if (state.fleet().declared()) {
      Map<String, Object> hosts = new LinkedHashMap<>();
      state.fleet().hosts().values().forEach(h -> hosts.put(h.name(), host(h)));
      root.put("hosts", hosts);
    }
    if (!state.networks().isEmpty()) {
      Map<String, Object> networks = new LinkedHashMap<>();
      state.networks().values().forEach(n -> networks.put(n.name(), network(n)));
      root.put("networks", networks);
    }
    if (!state.containers().isEmpty()) {
      Map<String, Object> containers = new LinkedHashMap<>();
      state.containers().values().forEach(c -> containers.put(c.name(), container(c)));
      root.put("containers", containers);
    }
    DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
        .setIndicatorIndent(2).setIndentWithIndicator(true).build();
    String header = headerComment.isEmpty() ? ""
        : "# " + String.join("\n# ", headerComment.split("\n")) + "\n";
    return header + new Dump(settings).dumpToString(root);
  }

  private static Map<String, Object> host(Host h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", h.address().toString());
    putIf(m, "vxlan_port", h.vxlanPort(), Host.DEFAULT_VXLAN_PORT);
    return m;
  }

  private static Map<String, Object> network(Network n) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (n.driver() != Driver.BRIDGE) {
      m.put("driver", n.driver().text());
    }
    n.bridgeName().ifPresent(b -> m.put("bridge_name", b));
    putIf(m, "external", n.external(), false);
    n.hostBindingIpv4().ifPresent(ip -> m.put("host_binding_ipv4", ip.toString()));
    if (!n.pools().isEmpty()) {
      List<Object> config = new ArrayList<>();
      n.pools().forEach(p -> config.add(pool(p)));
      m.put("ipam", Map.of("config", config));
    }
    putIf(m, "internal", n.internal(), false);
    putIf(m, "icc", n.icc(), true);
    putIf(m, "masquerade", n.masquerade(), true);
    putIf(m, "mtu", n.mtu(), n.isOverlay() ? Network.OVERLAY_MTU : Network.DEFAULT_MTU);
    putIf(m, "enable_ipv6", n.enableIpv6(), false);
    if (!n.labels().isEmpty()) {
      m.put("labels", new LinkedHashMap<>(n.labels()));
    }
    n.parent().ifPresent(p -> m.put("parent", p));
    putIf(m, "default", n.isDefault(), false);
    n.vxlanId().ifPresent(id -> m.put("driver_opts", Map.of(VXLAN_IDS_OPTION, Integer.toString(id))));
    return m;
  }

  private static Map<String, Object> pool(IpamPool p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subnet", p.subnet().toString());
    p.gateway().ifPresent(g -> m.put("gateway", g.toString()));
    p.ipRange().ifPresent(r -> m.put("ip_range", r.toString()));
    if (!p.auxAddresses().isEmpty()) {
      Map<String, Object> aux = new LinkedHashMap<>();
      p.auxAddresses().forEach((k, v) -> aux.put(k, v.toString()));
      m.put("aux_addresses", aux);
    }
    return m;
  }

  private static Map<String, Object> container(Container c) {
    Map<String, Object> m = new LinkedHashMap<>();
    c.host().ifPresent(h -> m.put("host", h));
    if (!(c.mode() instanceof NetworkMode.Own)) {
      m.put("network_mode", c.mode().text());
    }
    if (!c.attachments().isEmpty()) {
      Map<String, Object> networks = new LinkedHashMap<>();
      c.attachments().forEach(a -> networks.put(a.network(), attachment(a)));
      m.put("networks", networks);
    }
    if (!c.ports().isEmpty() || !c.dynamicPorts().isEmpty()) {
      List<String> ports = new ArrayList<>(c.ports().stream().map(DesiredStateYaml::port).toList());
      c.dynamicPorts().forEach(p -> ports.add(p.toString()));
      m.put("ports", ports);
    }
    c.namespacePath().ifPresent(p -> m.put("namespace", p));
    names(c.names(), m);
    return m;
  }

  /** The name keys in Compose's list forms. */
  private static void names(io.netform.desired.NameSettings n, Map<String, Object> m) {
    n.hostname().ifPresent(h -> m.put("hostname", h));
    putList(m, "links", n.links().stream().map(Object::toString).toList());
    putList(m, "extra_hosts", n.extraHosts().stream().map(e -> e.name() + "=" + e.addressText()).toList());
    putList(m, "dns", n.dns().stream().map(IpAddress::toString).toList());
    putList(m, "dns_search", n.dnsSearch());
    putList(m, "dns_opt", n.dnsOptions());
  }

  private static void putList(Map<String, Object> m, String key, List<String> values) {
    if (!values.isEmpty()) {
      m.put(key, values);
    }
  }

  private static Map<String, Object> attachment(Attachment a) {
    Map<String, Object> m = new LinkedHashMap<>();
    a.ipv4Address().ifPresent(ip -> m.put("ipv4_address", ip.toString()));
    a.ipv6Address().ifPresent(ip -> m.put("ipv6_address", ip.toString()));
    a.macAddress().ifPresent(mac -> m.put("mac_address", mac.toString()));
    if (!a.aliases().isEmpty()) {
      m.put("aliases", a.aliases());
    }
    putIf(m, "gw_priority", a.gwPriority(), 0);
    return m;
  }

  private static String port(PortMapping p) {
    String host = p.hostIp().map(DesiredStateYaml::hostAddress).orElse("");
    String proto = p.protocol() == io.netform.desired.Protocol.TCP ? "" : "/" + p.protocol().text();
    return host + p.hostPort() + ":" + p.containerPort() + proto;
  }

  private static String hostAddress(IpAddress ip) {
    return (ip.isV4() ? ip.toString() : "[" + ip + "]") + ":";
  }

  private static void putIf(Map<String, Object> m, String key, Object value, Object fallback) {
    if (!value.equals(fallback)) {
      m.put(key, value);
    }
  }
}
