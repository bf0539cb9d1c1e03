/** GraphQL resolvers for reviews and office ratings; thin, they hand over to the services. */
import { hoursOf, periodOf, toPayload } from '@lianxin/shared';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { officeRatingOf, ratingSchemeOf, setRatingScheme } from '../offices/ratings.js';
import { OFFICE_INDICATORS } from '../offices/rating.js';
import { SCHEDULER_ACTOR, closeReviewByHand, officeRatingsOfReview, rankingsOf, reviewOf, reviewsOf } from './service.js';

const hundredthsToPoints = (hundredths: number): number => hundredths / 100;

export const reviewResolvers: Resolvers = {
  Query: {
    review: (_parent, args, ctx) => reviewOf(ctx, args),
    reviews: (_parent, args, ctx) => reviewsOf(ctx, args),
  },
  Mutation: {
    reviewClose: async (_parent, { input }, ctx) => {
      const { closed, userErrors } = toPayload('closed', await closeReviewByHand(ctx, input));
      return { review: closed?.review ?? null, alreadyClosed: closed?.alreadyClosed ?? null, userErrors };
    },
    officeRatingSchemeSet: async (_parent, { input }, ctx) => toPayload('scheme', await setRatingScheme(ctx, input)),
  },
  ReviewCycle: {
    bank: (review) => ({ id: review.bankId }),
    period: (review) => periodOf(review.bucket === 'month' ? 'MONTH' : review.bucket === 'quarter' ? 'QUARTER' : 'YEAR', review.periodStart),
    scheduled: (review) => review.closedBy === SCHEDULER_ACTOR,
    rankings: (review, args, ctx) => rankingsOf(ctx, review, args),
    officeRatings: (review, _args, ctx) => officeRatingsOfReview(ctx, review),
  },
  BankUnit: {
    rating: (unit, { year }, ctx) => officeRatingOf(ctx, unit.id, year),
    officeRatingScheme: (unit, _args, ctx) => ratingSchemeOf(ctx, unit.id),
  },
  OfficeRating: {
    office: (rating) => ({ id: rating.officeId }),
    score: (rating) => hundredthsToPoints(rating.scoreHundredths),
    indicators: (rating) =>
      rating.indicators.map((indicator) => ({
        name: indicator.name,
        value: indicator.name === 'service_hours' ? hoursOf(indicator.value) : indicator.value,
        best: indicator.name === 'service_hours' ? hoursOf(indicator.best) : indicator.best,
        weight: indicator.weight,
        score: hundredthsToPoints(indicator.scoreHundredths),
      })),
  },
  OfficeRatingScheme: {
    bank: (scheme) => ({ id: scheme.bankId }),
    weights: (scheme) => OFFICE_INDICATORS.map((indicator) => ({ indicator, weight: scheme.rules.weights[indicator] })),
    thresholds: (scheme) => [...scheme.rules.thresholds],
    quotas: (scheme) => [...scheme.rules.quotas],
  },
};
