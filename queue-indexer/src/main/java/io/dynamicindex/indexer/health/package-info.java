/**
 * What state each queue's pipeline is in (running, backing off, halted, stopped) and why, as health components and
 * metrics. Depends on Spring Boot's health API and Micrometer only; every other package reports into it.
 */
package io.dynamicindex.indexer.health;
