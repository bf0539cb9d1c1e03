-- The four subgraph databases, created by the postgres image on its first start (an empty data directory).
-- Each subgraph keeps its tables in a schema of its own name inside its database; `npm run migrate` (the migrate
-- service) creates the schemas and tables. Events between them travel over NATS (EVENT_TRANSPORT=nats).
CREATE DATABASE people;
CREATE DATABASE requests;
CREATE DATABASE points;
CREATE DATABASE recognition;
