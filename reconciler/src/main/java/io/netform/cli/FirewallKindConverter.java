package io.netform.cli;

import io.netform.kernel.firewall.FirewallKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --firewall-backend iptables|nftables}, with a message that names the choices. */
final class FirewallKindConverter implements ITypeConverter<FirewallKind> {

  @Override
  public FirewallKind convert(String value) {
    return FirewallKind.parse(value).orElseThrow(() -> new TypeConversionException("'" + value + "' is no firewall backend: use iptables "
            + "or nftables"));
  }
}
