-- Hand-written: a recommendation stands as the year's close wrote it, and a decision as the head bank made it;
-- a recommendation is decided once (the decisions' primary key), never by rewriting either row.
CREATE TRIGGER "central_exchange_recommendations_append_only" BEFORE UPDATE OR DELETE ON "points"."central_exchange_recommendations"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "central_exchange_recommendations_no_truncate" BEFORE TRUNCATE ON "points"."central_exchange_recommendations"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "central_exchange_recommendation_decisions_append_only" BEFORE UPDATE OR DELETE ON "points"."central_exchange_recommendation_decisions"
  FOR EACH ROW EXECUTE FUNCTION "points"."refuse_ledger_change"();--> statement-breakpoint
CREATE TRIGGER "central_exchange_recommendation_decisions_no_truncate" BEFORE TRUNCATE ON "points"."central_exchange_recommendation_decisions"
  FOR EACH STATEMENT EXECUTE FUNCTION "points"."refuse_ledger_change"();
