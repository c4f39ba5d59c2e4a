package io.netform.imports;

import java.util.regex.Pattern;

/** The names the desired state takes (schemas/netform.schema.json, $defs/name); Docker allows longer ones. */
final class NetformNames {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  static final String REFUSED = "netform's names are letters, digits, '_', '.' and '-', at most 63, starting with a"
      + " letter or digit";

  private NetformNames() {}

  static boolean allowed(String name) {
    return NAME.matcher(name).matches();
  }
}
