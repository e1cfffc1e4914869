/** The audit trail of management changes: who (the token's name), when, what, and with which answer. */
package io.dynamicindex.management.audit;
