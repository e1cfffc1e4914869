/** Startup failure reports that name properties and never print their values. */
package io.dynamicindex.management.diagnostics;
