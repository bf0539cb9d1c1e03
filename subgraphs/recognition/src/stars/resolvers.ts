/** GraphQL resolvers for stars: a Person's star and history, thresholds, and the threshold mutations; thin, they hand over to the service. */
import { derivedId, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { clearStarThresholds, setStarThresholds, starHistoryOf, starOf, starThresholdsFor, type StarThresholdsChange } from './service.js';
import type { Result } from '@lianxin/shared';

/** The payload of both threshold mutations. */
function thresholdsPayload(result: Result<StarThresholdsChange>) {
  const { change, userErrors } = toPayload('change', result);
  return { thresholds: change?.thresholds ?? null, evaluated: change?.evaluated ?? null, changed: change?.changed ?? null, userErrors };
}

export const starResolvers: Resolvers = {
  Query: {
    starThresholds: (_parent, { region }, ctx) => starThresholdsFor(ctx, region),
  },
  Mutation: {
    starThresholdsSet: async (_parent, { input }, ctx) => thresholdsPayload(await setStarThresholds(ctx, input)),
    starThresholdsClear: async (_parent, { input }, ctx) => thresholdsPayload(await clearStarThresholds(ctx, input)),
  },
  Person: {
    star: (person, _args, ctx) => starOf(ctx, person.id),
    starHistory: (person, { first }, ctx) => starHistoryOf(ctx, person.id, first ?? 20),
  },
  StarThresholds: {
    id: (thresholds) => derivedId('StarThresholds', thresholds.regionId ?? 'national'),
    region: (thresholds) => (thresholds.regionId === null ? null : { id: thresholds.regionId }),
    levels: (thresholds) => [...thresholds.levelHours],
    quality: (thresholds) =>
      thresholds.quality === null
        ? null
        : { minAverage: thresholds.quality.minAverageHundredths / 100, minRatings: thresholds.quality.minRatings, fromLevel: thresholds.quality.fromLevel },
  },
  StarChange: {
    lowered: (change) => change.toLevel < change.fromLevel,
    minutes: (change) => change.serviceMinutes,
    averageRating: (change) => (change.ratings > 0 ? Math.round((change.ratingSum * 100) / change.ratings) / 100 : null),
    thresholdsRegion: (change) => (change.thresholdsRegionId === null ? null : { id: change.thresholdsRegionId }),
  },
};
