/**
 * The engine SPI: a {@link org.explain4j.engine.CamEngine} computes maps for a
 * {@link org.explain4j.engine.CamTask}; an {@link org.explain4j.engine.EngineProvider}, found with
 * {@link java.util.ServiceLoader}, names it cheaply and creates it lazily;
 * {@link org.explain4j.engine.Engines} picks one by name or automatically. The pure-Java engine lives here.
 */
package org.explain4j.engine;
