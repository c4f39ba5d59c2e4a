package io.netform.cli;

import io.netform.kernel.firewall.FirewallKind;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --firewall-backend iptables|nftables}, with a message that names the choices. */
final class FirewallKindConverter implements ITypeConverter<FirewallKind> {

  @Override
  public FirewallKind convert(String value) {
    return Arrays.stream(FirewallKind.values()).filter(k -> k.text().equals(value.strip().toLowerCase(Locale.ROOT)))
        .findFirst().orElseThrow(() -> new TypeConversionException("'" + value + "' is no firewall backend: use iptables "
            + "or nftables"));
  }
}
