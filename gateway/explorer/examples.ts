/**
 * The operations the explorer opens with, one tab each. GraphiQL keeps the
 * tabs in the browser's local storage, so these appear on a first visit (or
 * after its storage is cleared); a tab's title is its operation's name.
 */

/** The demo volunteer 王建国 (DEMO_SAMPLE_PERSON_ID), put in by the build. */
declare const LIANXIN_DEMO_PERSON_ID: string;

export interface ExampleOperation {
  query: string;
  /** The variables editor's text (JSON). */
  variables?: string;
}

export const EXAMPLES: readonly ExampleOperation[] = [
  {
    query: `# The Lianxin explorer: GraphiQL served by the gateway itself, with
# nothing loaded from anywhere else. Operations go to /graphql here.
#
# Signed out you are the anonymous viewer, who reads public data only:
# the region tree, teams, badges. To sign in, open Headers below and put
#
#   { "authorization": "Bearer <token>" }
#
# with a token from \`npm run token -- --role volunteer --person <id>\`.
# Headers are not kept when the page reloads: tokens stay out of storage.
#
# Run an operation with Ctrl-Enter or the ▶ button; the docs (top left)
# describe every type and field. The other tabs hold more examples.
query RegionTree {
  regions(first: 5) {
    edges {
      node {
        name
        kind
        children {
          name
          kind
          children {
            name
            kind
          }
        }
      }
    }
  }
}
`,
  },
  {
    query: `# Teams with their members. Signed out you see each team's member
# count and its captain's masked name; the members themselves need a token
# (\`members\` is null with UNAUTHENTICATED without one).
query TeamWithMembers {
  teams(first: 3) {
    edges {
      node {
        name
        kind
        community {
          name
        }
        memberCount
        captain {
          displayName
        }
        members(first: 10) {
          edges {
            role
            node {
              displayName
              homeRegion {
                name
              }
            }
          }
        }
      }
    }
  }
}
`,
  },
  {
    query: `# Your passbook (存折): your balance and the latest lines. Sign in (see
# the first tab) with a token naming your person:
#
#   npm run token -- --role volunteer --person <your person id>
#
# and put the same id in Variables below. With the demo data, the
# volunteer 王建国 is the id already there.
query MyPassbook($me: ID!) {
  person(id: $me) {
    name
    account {
      passbookNumber
      balance
      availablePoints
      transfers(first: 10) {
        edges {
          node {
            line
            date
            cause
            amount
            balanceAfter
          }
        }
      }
    }
  }
}
`,
    variables: JSON.stringify({ me: LIANXIN_DEMO_PERSON_ID }, null, 2),
  },
  {
    query: `# Who you are, and what a volunteer's home screen shows, in one
# operation: \`me\` is whoever the token in Headers names (null signed
# out), and each subgraph adds its part: the passbook from the bank, open
# tasks and hours from requests, badges from recognition.
query VolunteerDashboard {
  me {
    id
    roles
    person {
      displayName
      account {
        balance
        availablePoints
      }
      openTasks(first: 5) {
        totalCount
        edges {
          node {
            status
            description
            category {
              name
            }
          }
        }
      }
      serviceHours {
        hours
      }
      badges {
        name
      }
    }
  }
}
`,
  },
];
