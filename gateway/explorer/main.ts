/**
 * The explorer page: GraphiQL, bundled by esbuild into static files the
 * gateway serves at /explorer (gateway/src/explorer-build.ts), talking to
 * /graphql on the page's own origin.
 */
import { GraphiQL } from 'graphiql';
import type { ExecutionResult } from 'graphql';
import { createElement, type ComponentProps } from 'react';
import { createRoot } from 'react-dom/client';
import { EXAMPLES } from './examples.js';
import './style.css';

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];

const GRAPHQL_URL = new URL('/graphql', window.location.origin).href;

/** The header editor's values as HTTP header values (it parses JSON, so a value may be any JSON). */
function headerValues(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]));
}

/**
 * One POST per operation, as any client sends it, with the header editor's
 * headers (the bearer token) and JSON, which the gateway requires. GraphiQL's
 * own fetcher would add a websocket client for subscriptions, which the graph
 * does not serve.
 */
const fetcher: Fetcher = async (params, options) => {
  const response = await fetch(GRAPHQL_URL, {
    method: 'POST',
    headers: { ...headerValues(options?.headers), 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as ExecutionResult;
  } catch {
    throw new Error(`HTTP ${response.status}: ${text.slice(0, 500)}`);
  }
};

const container = document.getElementById('explorer');
if (!container) throw new Error('The explorer page has no #explorer element.');
container.textContent = '';
createRoot(container).render(
  createElement(GraphiQL, {
    fetcher,
    defaultTabs: EXAMPLES.map(({ query, variables }) => ({ query, variables: variables ?? null })),
    // The header editor is where the bearer token goes, so it is open from the start; tokens are not stored unless asked.
    defaultEditorToolsVisibility: 'headers',
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  }),
);
