/**
 * Token explanations for people: one weight per token, rendered as HTML (ELI5 style) or with ANSI
 * colours for a terminal.
 */
package org.explain4j.render.text;
