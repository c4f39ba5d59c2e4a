package io.netform.imports;

import io.netform.desired.DynamicPort;
import io.netform.desired.PortMapping;
import io.netform.desired.Protocol;
import io.netform.net.IpAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A container's {@code HostConfig.PortBindings} ({@code "80/tcp": [{"HostIp": "", "HostPort": "8080"}]})
 * as published ports. An empty HostPort is Docker's "any free port", which netform chooses too. A
 * host port another container already took is left out: {@code docker ps -a} lists stopped
 * containers, whose bindings may clash, and netform refuses two claims on one port.
 */
final class DockerPorts {

  /** Host ports taken so far, by protocol and port, with the host address ("" for every address). */
  private final Set<String> taken = new HashSet<>();

  record Published(List<PortMapping> fixed, List<DynamicPort> chosen) {}

  Published read(String container, Map<String, JsonValue> bindings, ImportNotes notes) {
    List<PortMapping> fixed = new ArrayList<>();
    List<DynamicPort> chosen = new ArrayList<>();
    for (Map.Entry<String, JsonValue> binding : bindings.entrySet()) {
      String key = binding.getKey();
      Optional<Integer> containerPort = port(key.contains("/") ? key.substring(0, key.indexOf('/')) : key);
      Optional<Protocol> protocol = protocol(key.contains("/") ? key.substring(key.indexOf('/') + 1) : "tcp");
      if (containerPort.isEmpty() || protocol.isEmpty()) {
        notes.leftOut("container \"" + container + "\" port " + key, "not PORT/tcp, udp or sctp");
        continue;
      }
      Set<String> bothFamilies = everyAddressPorts(binding.getValue().elements());
      Set<String> written = new HashSet<>();
      for (JsonValue host : binding.getValue().elements()) {
        Optional<String> givenPort = host.get("HostPort").text();
        if (givenPort.isPresent() && bothFamilies.contains(givenPort.get())) {
          // 0.0.0.0 and :: for one port: Docker's way to publish on every address, netform's port without an address
          if (written.add(givenPort.get())) {
            port(givenPort.get()).filter(p -> claim(Optional.empty(), p, protocol.get()))
                .ifPresentOrElse(p -> fixed.add(new PortMapping(Optional.empty(), p, containerPort.get(), protocol.get())),
                    () -> notes.leftOut("container \"" + container + "\" port " + givenPort.get() + ":" + key,
                        "another container publishes that host port (docker ps -a lists stopped containers too)"));
          }
          continue;
        }
        String what = "container \"" + container + "\" port " + host.get("HostIp").text().map(ip -> ip + ":").orElse("")
            + host.get("HostPort").text().orElse("") + ":" + key;
        Optional<String> ipText = host.get("HostIp").text();
        Optional<IpAddress> ip = ipText.flatMap(IpAddress::tryParse);
        if (ipText.isPresent() && ip.isEmpty()) {
          notes.leftOut(what, "HostIp is not an address");
          continue;
        }
        Optional<String> hostPort = host.get("HostPort").text();
        if (hostPort.isEmpty()) {
          chosen.add(DynamicPort.ephemeral(ip, containerPort.get(), protocol.get()));
          continue;
        }
        String[] range = hostPort.get().split("-", 2);
        Optional<Integer> first = port(range[0]);
        Optional<Integer> last = range.length > 1 ? port(range[1]) : first;
        if (first.isEmpty() || last.isEmpty() || last.get() < first.get()) {
          notes.leftOut(what, "HostPort is not a port or a range of ports");
        } else if (range.length > 1) {
          chosen.add(new DynamicPort(ip, first.get(), last.get(), containerPort.get(), protocol.get()));
        } else if (!claim(ip, first.get(), protocol.get())) {
          notes.leftOut(what, "another container publishes that host port (docker ps -a lists stopped containers too)");
        } else {
          fixed.add(new PortMapping(ip, first.get(), containerPort.get(), protocol.get()));
        }
      }
    }
    return new Published(fixed, chosen);
  }

  /** The host ports bound on both 0.0.0.0 and :: (each a single port, not a range). */
  private static Set<String> everyAddressPorts(List<JsonValue> hosts) {
    Set<String> v4 = new HashSet<>();
    Set<String> v6 = new HashSet<>();
    for (JsonValue h : hosts) {
      Optional<IpAddress> ip = h.get("HostIp").text().flatMap(IpAddress::tryParse).filter(IpAddress::isUnspecified);
      Optional<String> port = h.get("HostPort").text().filter(p -> !p.contains("-"));
      if (ip.isPresent() && port.isPresent()) {
        (ip.get().isV4() ? v4 : v6).add(port.get());
      }
    }
    v4.retainAll(v6);
    return v4;
  }

  /** Takes the host port; false when a mapping on the same address, or on every address, has it. */
  private boolean claim(Optional<IpAddress> ip, int port, Protocol protocol) {
    String key = protocol.text() + "/" + port + "/";
    String address = ip.filter(a -> !a.isUnspecified()).map(IpAddress::toString).orElse("");
    boolean clash = taken.contains(key + address) || taken.contains(key)
        || address.isEmpty() && taken.stream().anyMatch(t -> t.startsWith(key));
    if (!clash) {
      taken.add(key + address);
    }
    return !clash;
  }

  private static Optional<Integer> port(String text) {
    return DockerNetworks.number(text).filter(p -> p >= 1 && p <= 65535);
  }

  private static Optional<Protocol> protocol(String text) {
    try {
      return Optional.of(Protocol.valueOf(text.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
