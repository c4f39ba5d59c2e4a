package io.netform.desired;

import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import io.netform.net.MacAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lock file next to a desired state ({@code netform.lock}): the overlay allocation every host
 * uses, so that adding or removing a container never renumbers the others. {@code file} is where
 * it was read from (for messages).
 */
public record OverlayLock(String file, Map<String, LockedNetwork> networks) {

  public OverlayLock {
    networks = Collections.unmodifiableMap(new LinkedHashMap<>(networks));
  }

  /** One overlay network: its subnet and gateway, its VXLAN id, and its endpoints by container. */
  public record LockedNetwork(Cidr subnet, IpAddress gateway, int vni, Map<String, LockedEndpoint> endpoints) {

    public LockedNetwork {
      endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }
  }

  /** One container's address and MAC on an overlay network. */
  public record LockedEndpoint(IpAddress ipv4, MacAddress mac) {

    /** As messages say it: {@code 172.16.16.200 02:42:ac:10:10:c8}. */
    @Override
    public String toString() {
      return ipv4 + " " + mac;
    }
  }
}
