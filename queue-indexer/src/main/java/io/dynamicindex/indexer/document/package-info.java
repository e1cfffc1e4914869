/** The index-operation model shared by filters, the buffer and the bulk phases. Depends on Jackson only. */
package io.dynamicindex.indexer.document;
