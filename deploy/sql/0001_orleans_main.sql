-- =============================================================================
-- 0001_orleans_main.sql
--
-- Purpose : shared OrleansQuery table (query-key -> SQL text catalog) that all Orleans ADO.NET providers read at start-up. Must run before 0002..0004.
-- Matches : Microsoft.Orleans.*.AdoNet 10.4.2 (ADO.NET invariant "Npgsql").
-- Source  : dotnet/orleans tag v10.2.2 (commit a575888773a3b01b079c9c3720bb1553c3169997),
--           src/AdoNet/Shared/PostgreSQL-Main.sql
--           There is no v10.4.2 tag in the upstream mirror used here; v10.2.2 is
--           the newest v10.x tag. Every query key the 10.4.2 provider
--           assemblies require is present after 0001..0004 are applied.
-- Apply   : once, in file-name order, each file in its own transaction
--           (psql -v ON_ERROR_STOP=1 --single-transaction -f <file>),
--           PostgreSQL 9.5+ (tested on 15), empty database.
--           No BEGIN/COMMIT here: the migrator owns the transaction.
--
-- Upstream text below is verbatim unless marked "Shop:".
-- =============================================================================

-- requires Postgres 9.5 (or perhaps higher)

/*
Implementation notes:

1) The general idea is that data is read and written through Orleans specific queries.
   Orleans operates on column names and types when reading and on parameter names and types when writing.

2) The implementations *must* preserve input and output names and types. Orleans uses these parameters to reads query results by name and type.
   Vendor and deployment specific tuning is allowed and contributions are encouraged as long as the interface contract
   is maintained.

3) The implementation across vendor specific scripts *should* preserve the constraint names. This simplifies troubleshooting
   by virtue of uniform naming across concrete implementations.

5) ETag for Orleans is an opaque column that represents a unique version. The type of its actual implementation
   is not important as long as it represents a unique version. In this implementation we use integers for versioning

6) For the sake of being explicit and removing ambiguity, Orleans expects some queries to return either TRUE as >0 value
   or FALSE as =0 value. That is, affected rows or such does not matter. If an error is raised or an exception is thrown
   the query *must* ensure the entire transaction is rolled back and may either return FALSE or propagate the exception.
   Orleans handles exception as a failure and will retry.

7) The implementation follows the Extended Orleans membership protocol. For more information, see at:
        https://learn.microsoft.com/dotnet/orleans/implementation/cluster-management
        https://github.com/dotnet/orleans/blob/main/src/Orleans.Core/SystemTargetInterfaces/IMembershipTable.cs
*/



-- This table defines Orleans operational queries. Orleans uses these to manage its operations,
-- these are the only queries Orleans issues to the database.
-- These can be redefined (e.g. to provide non-destructive updates) provided the stated interface principles hold.
CREATE TABLE OrleansQuery
(
    QueryKey varchar(64) NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY(QueryKey)
);
