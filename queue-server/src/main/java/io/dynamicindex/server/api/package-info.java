/**
 * The partner HTTP API: authentication, limits, payload splitting and RFC 9457 problem answers. Uses
 * {@code publish} to hand messages to the broker and {@code config} for the partner keys.
 */
package io.dynamicindex.server.api;
