import { Global, Module } from '@nestjs/common';
import { PublicPageCache } from './public-page-cache';

/** One shared cache of anonymous public pages per node (see PublicPageCache). */
@Global()
@Module({ providers: [PublicPageCache], exports: [PublicPageCache] })
export class PublicPageModule {}
