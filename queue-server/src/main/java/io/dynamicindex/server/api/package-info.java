/**
 * The partner HTTP API: authentication, content type and encoding, limits, payload splitting, the per-change rules
 * (index allow-list, nesting depth, delete targets) and RFC 9457 problem answers. Uses {@code publish} to hand
 * messages to the broker and {@code config} for the partner keys and their index allow-lists.
 */
package io.dynamicindex.server.api;
