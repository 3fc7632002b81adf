package org.explain4j;

import java.util.concurrent.atomic.AtomicInteger;
import org.explain4j.engine.Availability;
import org.explain4j.engine.CamEngine;
import org.explain4j.engine.EngineProvider;

/** A test-only provider, first in priority and never available, that counts how often it is probed. */
public final class CountingEngineProvider implements EngineProvider {
  static final AtomicInteger PROBES = new AtomicInteger();
  static final AtomicInteger CREATED = new AtomicInteger();

  @Override
  public String name() {
    return "counting";
  }

  @Override
  public int priority() {
    return 1000;
  }

  @Override
  public Availability availability() {
    PROBES.incrementAndGet();
    return Availability.no("a test engine that never runs");
  }

  @Override
  public CamEngine engine() {
    CREATED.incrementAndGet();
    throw new IllegalStateException("the counting engine never runs");
  }
}
