package io.netform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netform.model.AddressObject;
import io.netform.model.FirewallRule;
import io.netform.model.FirewallTable;
import io.netform.model.HostModel;
import io.netform.model.KernelObject;
import io.netform.model.Owner;
import io.netform.net.Cidr;
import io.netform.net.IpAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What kept objects need of removed ones: the kernel's dependencies, and what firewall rules name. */
class InUseTest {

  static final Owner B1 = Owner.container("b1");
  static final Owner C2 = Owner.container("c2");

  static List<String> inUse(List<KernelObject> owned, Owner removed) {
    HostModel all = HostModel.of(owned);
    HostModel kept = HostModel.of(owned.stream().filter(o -> !o.owner().equals(removed)).toList());
    return InUse.of(all, kept, Map.of()).stream().map(u -> u.dependent().owner() + " needs " + u.needed()).toList();
  }

  @Test
  void aRuleForwardingToARemovedAddressNeedsIt() {
    AddressObject v6 = new AddressObject("b1", "eth0", Cidr.parse("fd00:5::b/64"), B1);
    FirewallRule dnat = new FirewallRule(FirewallTable.NAT, "NETFORM-DNAT", "-p tcp -m tcp --dport 7002 -j DNAT "
        + "--to-destination [fd00:5::b]:81", 0, C2, IpAddress.Family.V6);
    assertEquals(List.of("container:c2 needs address fd00:5::b/64 on b1/eth0"), inUse(List.of(v6, dnat), B1));
  }

  @Test
  void aRuleNamingAnInterfaceNetformDoesNotOwnNeedsNothingRemoved() {
    AddressObject v4 = new AddressObject("b1", "eth0", Cidr.parse("10.5.0.11/24"), B1);
    FirewallRule forward = new FirewallRule(FirewallTable.FILTER, "NETFORM-FORWARD", "-d 10.5.0.12/32 ! -i docker0 "
        + "-o docker0 -p tcp -m tcp --dport 80 -j ACCEPT", 2, C2);
    assertEquals(List.of(), inUse(List.of(v4, forward), B1));
  }
}
