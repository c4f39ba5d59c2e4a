package io.netform.cli;

import picocli.CommandLine.IVersionProvider;

final class Version implements IVersionProvider {

  static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"netform " + current()};
  }
}
